(function () {
  // the column's list: fetched page by page from the app's own API, never printed in the page
  var API = '/api/nb/list', SIZE = 5, page = 1;
  function show(answer, n) {
    var list = document.getElementById('list');
    list.innerHTML = '';
    answer.list.forEach(function (e) {
      var li = document.createElement('li'), a = document.createElement('a'), span = document.createElement('span');
      a.href = e.url; a.title = e.title; a.textContent = e.title; span.textContent = e.publishDate;
      li.appendChild(a); li.appendChild(span); list.appendChild(li);
    });
    page = n;
    var pages = Math.ceil(answer.total / SIZE), pager = document.getElementById('pager');
    pager.innerHTML = '<span>共' + pages + '页 第' + n + '页</span> '
      + (n < pages ? '<a href="javascript:;" class="next">下一页</a>' : '<span class="next disabled">下一页</span>');
    var next = pager.querySelector('a.next');
    if (next) next.onclick = function () { load(page + 1); };
  }
  function load(n) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', API + '?page=' + n + '&size=' + SIZE);
    xhr.onload = function () { show(JSON.parse(xhr.responseText).data, n); };
    xhr.send();
  }
  load(1);
})();
