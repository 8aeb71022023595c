"""Settings for the xxgk-archive crawl (Scrapy project ``crawler``).

Project settings carry the ``XXGK_`` prefix and are documented in the README's Settings table.
Scrapy's own settings govern politeness, so ``-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False
-s CONCURRENT_REQUESTS_PER_DOMAIN=8`` turns the delays off for loopback tests and the benchmark.
"""

import os

# Scrapy's CookiesMiddleware asks tldextract for the public suffix list, which downloads it from
# publicsuffix.org the first time a site sets a cookie; its bundled snapshot does: a crawl contacts
# its portals and nothing else
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "xxgk-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

ARCHIVE_DIR = "archive"

# Politeness: government hosts are slow and small; an honest UA, never a search-engine bot's
# (cloaked spam is served to bots, domain.md §5.3)
USER_AGENT = "xxgk-archive/0.1 (archival crawler of government information-disclosure annual reports)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
# Scrapy starts this many asyncio tasks for every response's output; a report page yields one item
# and a list page a few dozen requests, and 100 tasks per response cost 5% of the crawl's CPU
CONCURRENT_ITEMS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2  # initial response + 2 retries = 3 requests
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024  # the attachment limit; pages get XXGK_PAGE_MAXSIZE per request
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

DOWNLOADER_MIDDLEWARES = {
    "crawler.downloadermiddlewares.retryafter.RetryAfterMiddleware": 560,
    "crawler.downloadermiddlewares.redirectloop.RedirectLoopMiddleware": 610,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.downloadermiddlewares.metarefresh.MetaRefreshMiddleware": 580,
    # Scrapy's, with the requests that wait together for a host's robots.txt all checked
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": 100,
    # its process_response turns a 304 into the archived payload: after the WARC capture (950) and
    # DownloaderStats (850) have seen the 304 as it came, before RedirectMiddleware (600) and
    # HttpCompressionMiddleware (590) treat the payload like a fresh one
    "crawler.downloadermiddlewares.conditionalget.ConditionalGetMiddleware": 800,
    # above HttpCompressionMiddleware (590) and RedirectMiddleware (600): its process_response
    # sees each hop's bytes exactly as received
    "crawler.downloadermiddlewares.warccapture.WarcCaptureMiddleware": 950,
    # a gzip/deflate stream cut short, seen before HttpCompressionMiddleware (590) unpacks what there is
    "crawler.downloadermiddlewares.encodedbody.EncodedBodyMiddleware": 595,
    # an empty 2xx page or file, seen once HttpCompressionMiddleware has unpacked it
    "crawler.downloadermiddlewares.emptybody.EmptyBodyMiddleware": 585,
    # why a portal's requests were refused before download (robots.txt), for the portal summary
    "crawler.downloadermiddlewares.ignoredrequests.IgnoredRequestsMiddleware": 105,
    # with XXGK_FRONTIER: a per-host slot in Redis, so politeness holds for every worker together;
    # last before the download, first to see its response
    "crawler.cluster.politeness.ClusterPolitenessMiddleware": 990,
}
# Scrapy's HTTP handler, and the browser for the list pages that need one (crawler.rendering)
DOWNLOAD_HANDLERS = {
    "http": "crawler.rendering.RenderingDownloadHandler",
    "https": "crawler.rendering.RenderingDownloadHandler",
}
# rendered pages wait in a slot of their own, one at a time: the browser's requests use the host's
DOWNLOAD_SLOTS = {"xxgk-render": {"concurrency": 1, "delay": 0}}
ITEM_PIPELINES = {
    "crawler.itempipelines.StorePipeline": 900,
}
# the frontier and the seen URLs in ARCHIVE_DIR/state.db, so kill -9 loses only in-flight requests
SCHEDULER = "crawler.scheduler.FrontierScheduler"
EXTENSIONS = {
    # reports.db: its one writer thread and the capture-index reader every component shares
    "crawler.extensions.reportsdb.ReportsDatabase": 0,
    # the stages, in worker processes, for every page the spider receives
    "crawler.extensions.extraction.Extraction": 0,
    # a portal that yielded nothing: a log line and an errors row with the reason, when the run ends
    "crawler.extensions.portalsummary.PortalSummary": 10,
    # -o/-O: the stored reports rows, and a failed export fails the run
    "scrapy.extensions.feedexport.FeedExporter": None,
    "crawler.extensions.feeds.FeedExporter": 0,
    # a line every XXGK_PROGRESS_INTERVAL seconds and the run's summary at the end, for every crawl
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.extensions.progress.Progress": 500,
}
SPIDER_MIDDLEWARES = {
    # outermost (lowest number): it must see the callback's output after every other filter
    "crawler.spidermiddlewares.frontierack.FrontierAckMiddleware": 10,
    "crawler.spidermiddlewares.windowmode.WindowModeMiddleware": 550,
}

XXGK_ATTACHMENT_MAXSIZE = 64 * 1024 * 1024  # 20 MB report PDFs are legitimate
XXGK_ATTACHMENT_MAXPAGES = 500  # pages (sheets) read from one file
XXGK_ATTACHMENT_TIMEOUT = 300   # seconds one file may take to read (a LibreOffice conversion, OCR of a scan)
XXGK_ATTACHMENT_OCR = True      # OCR of pages without a text layer, when the [ocr] extra is installed
XXGK_EXTRACT_WORKERS = "auto"   # processes for decode/clean/metadata: cores - 1; 0 = in the crawl's process
XXGK_EXTRACT_TIMEOUT = 120      # seconds one page may take in a worker: then extract:timeout, the worker replaced
XXGK_EXTRACT_MAX_MEMORY = 2 << 30   # address space of a worker process; a page past it is extract:too_complex
XXGK_COVERAGE_DUE = "03-31"      # python -m crawler.coverage: a year's report counts as missing after this month-day of the next year
XXGK_FTS_BATCH = 500            # reports written between two updates of the search index
XXGK_MAX_LIST_PAGES = 200       # pages followed in one report list
XXGK_MAX_PAGES_PER_PORTAL = 5000
XXGK_MAX_REPORT_PAGES = 50      # pages of one report paged over several URLs
XXGK_MAX_URL_LENGTH = 512
XXGK_NAV_DEPTH = 4              # homepage → 信息公开 → … → 年报 column, in links followed
XXGK_PAGE_MAXSIZE = 8 * 1024 * 1024   # a 100 MB "HTML page" is an error, not a report
XXGK_PROGRESS_INTERVAL = 60     # seconds between two progress lines (0: none); the summary comes anyway

# Lists built by script (crawler.rendering): auto = render list pages that look script-built
XXGK_RENDER = "auto"            # auto | always | never
XXGK_CHROMIUM = "/usr/bin/chromium"   # Debian's chromium; a name on PATH works too
XXGK_RENDER_TIMEOUT = 30        # seconds a rendered list page may take, paging included

# Archival runs: re-runs, crash safety, the publication window
XXGK_CONDITIONAL_GET = True     # If-None-Match / If-Modified-Since for known report pages and attachments
XXGK_MODE = "normal"            # or "window": lists and new reports only, for runs every few hours Jan–Apr
XXGK_RESUME = True              # a run continues the frontier an interrupted run left in state.db
XXGK_RETRY_AFTER_MAX = 120     # seconds a 429/503 may ask us to wait before its retry; 0 = don't wait
XXGK_WINDOW_RECHECK_HOURS = 20  # window mode: a report captured more recently is not fetched again

# Several machines (crawler.cluster): a frontier shared through Redis, each worker its own ARCHIVE_DIR
XXGK_FRONTIER = ""              # redis://HOST:PORT/DB: share the frontier; empty: ARCHIVE_DIR/state.db
XXGK_WORKER_ID = ""             # names this worker's WARC files and stats; empty: HOSTNAME-PID
XXGK_LEASE_SECONDS = 60         # a request a dead worker held goes back to the queue after this long
XXGK_CLUSTER_FINISHED_HOURS = 1.0   # a worker starting this soon after the cluster's crawl finished does nothing

XXGK_WARC_ENABLED = True
XXGK_WARC_DEDUP = True          # an unchanged payload becomes a revisit record, not a second copy
XXGK_WARC_MAX_SIZE = 1024 * 1024 * 1024  # roll to a new WARC file past this size

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"  # a look-alike turned away is routine, counted in the stats
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "crawler.logformatter.XxgkLogFormatter"
LOG_LEVEL = "INFO"
