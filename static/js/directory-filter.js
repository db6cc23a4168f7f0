// Filters the directory as people type: the same GET form, its results fetched and put in
// place of the list (the page works the same without this file). No inline script: CSP.
(function () {
  "use strict";
  var form = document.querySelector("[data-filter-form]");
  var results = document.getElementById("directory-results");
  if (!form || !results || !window.fetch || !window.URLSearchParams) return;
  var timer = null;
  var latest = 0;

  function update() {
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.action + (query ? "?" + query : "");
    var ticket = ++latest;
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || ticket !== latest) return;
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("directory-results");
        if (!fresh) return;
        results.innerHTML = fresh.innerHTML;
        window.history.replaceState(null, "", url);
      })
      .catch(function () { /* the submit button still works */ });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 250);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
