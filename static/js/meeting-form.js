// The meeting form: "Which weekday of the month" shows only for a monthly-on-a-weekday rule,
// and "Every how many weeks or months" and "Repeats until" only for a rule that repeats.
// Without this file every field shows, and the server ignores the ones a rule does not use.
(function () {
  var repeat = document.getElementById("id_repeat");
  if (!repeat) return;
  function wrapper(name) {
    var field = document.getElementById("id_" + name);
    return field && (document.getElementById("div_id_" + name) || field.parentNode);
  }
  function update() {
    var value = repeat.value,
      shown = {
        interval: value !== "never",
        repeat_until: value !== "never",
        week_of_month: value === "monthly_weekday"
      };
    Object.keys(shown).forEach(function (name) {
      var box = wrapper(name);
      if (box) box.hidden = !shown[name];
    });
  }
  repeat.addEventListener("change", update);
  update();
})();
