/* visit statistics: robots.txt keeps crawlers out */
