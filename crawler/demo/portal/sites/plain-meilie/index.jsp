<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>三明市梅列区人民政府</title>
<meta name="SiteName" content="三明市梅列区人民政府">
<meta name="SiteDomain" content="127.0.0.4">
<meta name="SiteIDCode" content="3504030001">
<meta name="ColumnName" content="首页">
<meta name="ColumnType" content="">
<link rel="stylesheet" type="text/css" href="/static/css/style.css">
<script type="text/javascript" src="/js/jquery-1.8.3.min.js"></script>
</head>
<body>
<header class="site-header"><div class="container">
<div class="logo"><a href="/index.jsp"><img src="/static/img/logo.png" alt="三明市梅列区人民政府"></a></div>
<div class="toolbar"><a href="javascript:;" onclick="aria.start()">无障碍浏览</a> <a href="javascript:;" id="oldman">关怀版</a>
<form action="/search/index.jsp" method="get"><input name="q" type="text"><input name="siteId" type="hidden" value="12"><button>搜索</button></form>
<a href="/search/index.jsp?q=&siteId=12&type=all">高级搜索</a></div></div>
<nav class="main-nav"><div class="container"><a href="/index.jsp">首页</a>
<a href="/list.jsp?catId=5">梅列要闻</a>
<a href="/xxgk/index.jsp">政务公开</a>
<a href="/list.jsp?catId=7">办事服务</a>
<a href="/list.jsp?catId=8">互动交流</a>
</div></nav></header>
<div class="container breadcrumb">您当前的位置：<a href="/index.jsp">首页</a></div>
<div class="container main home"><div class="slide"><img src="/static/img/banner.jpg" alt=""></div>
<section class="news"><h2><a href="/list.jsp?catId=5">梅列要闻</a></h2><ul>
<li><a href="/detail.jsp?id=109">梅列区开展“诚信三明”宣传活动</a><span>2021-06-15</span></li>
<li><a href="/detail.jsp?id=108">梅列区召开优化营商环境工作推进会</a><span>2021-03-09</span></li>
</ul></section>
<section class="zt"><a href="/detail.jsp?id=101&amp;from=index#main"><img src="/static/img/nb.jpg" alt="年度报告">专题：三明市梅列区2020年政府信息公开工作年度报告</a></section>
<section class="entry"><a href="/xxgk/index.jsp">政府信息公开</a> <a href="/list.jsp?catId=7">网上办事</a>
<a href="http://www.sm.gov.cn/" target="_blank">三明市人民政府</a> <a href="http://www.gov.cn/" target="_blank">中国政府网</a></section></div>
<footer class="site-footer"><div class="container">
<p>主办单位：三明市梅列区人民政府办公室&nbsp;&nbsp;承办单位：三明市梅列区融媒体中心<br>
<a href="/sitemap.html">站点地图</a>&nbsp;&nbsp;联系电话：0598-8235010<br>
网站标识码：3504030001&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/" target="_blank">闽ICP备05021335号</a>&nbsp;&nbsp;<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=35040302000104" target="_blank"><img src="/images/gaba.png" alt="">闽公网安备 35040302000104号</a>&nbsp;&nbsp;网站支持IPv6访问</p>
</div></footer>
<span id="_ideConac"></span>
<script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/05/000/0000/60429971/CA050000000604299710002.js' type='text/javascript'%3E%3C/script%3E"));</script>
<script id="_jiucuo_" sitecode="3504030001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>
<script>
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?3504030001a7c2b0e9";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
</script>
</body>
</html>
