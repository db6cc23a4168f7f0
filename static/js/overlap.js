/* Overlap warnings while the proposer types: after a pause in typing the group's name or
   description, ask the server for similar groups and show them in the polite live region
   (#overlap-matches), which screen readers read out without interrupting. Without this
   script the same list is shown on "check your answers". */
(function () {
  "use strict";
  var region = document.getElementById("overlap-matches");
  var name = document.getElementById("id_name");
  var description = document.getElementById("id_description");
  if (!region || !name || !description || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var PAUSE_MS = 400;
  var timer = null;
  var lastQuery = null;
  var controller = null;

  function check() {
    var params = new URLSearchParams();
    params.set("name", name.value.trim());
    params.set("description", description.value.trim());
    if (region.dataset.exclude) {
      params.set("exclude", region.dataset.exclude);
    }
    var query = params.toString();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (controller && window.AbortController) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch(region.dataset.url + "?" + query, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        // The HTML comes from the server's template, escaped there.
        if (data && region.innerHTML.trim() !== data.html.trim()) {
          region.innerHTML = data.html;
        }
      })
      .catch(function () {
        // A failed check only means no warning now; the next pause tries again.
        lastQuery = null;
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, PAUSE_MS);
  }

  name.addEventListener("input", later);
  description.addEventListener("input", later);
  if (name.value.trim() || description.value.trim()) {
    check();
  }
})();
