// The report's Year list follows the kind of year chosen: "2025-26" for a program year,
// "2025" for a calendar year (the page says the same without this file, once shown).
(function () {
  var basis = document.getElementById("id_basis"),
    year = document.getElementById("id_year"),
    data = document.getElementById("report-years");
  if (!basis || !year || !data) return;
  var choices = JSON.parse(data.textContent);
  basis.addEventListener("change", function () {
    var years = choices[basis.value];
    if (!years) return;
    var chosen = year.value;
    year.innerHTML = "";
    years.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = String(pair[0]);
      option.textContent = pair[1];
      option.selected = option.value === chosen;
      year.appendChild(option);
    });
  });
})();
