// Filters the directory as people type: fetches the same GET form's page and swaps the list
// in (the page works the same without this file; no inline script under the CSP).
(function () {
  var form = document.querySelector("[data-filter-form]"),
    list = document.getElementById("directory-results"),
    timer,
    latest = 0;
  if (!form || !list || !window.fetch) return;
  function update() {
    var url = form.action + "?" + new URLSearchParams(new FormData(form)),
      ticket = ++latest;
    fetch(url)
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("directory-results");
        if (fresh && ticket === latest) {
          list.innerHTML = fresh.innerHTML;
          history.replaceState(null, "", url);
        }
      });
  }
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
