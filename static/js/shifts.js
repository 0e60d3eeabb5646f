// Attendance day: show only the fields that fit the chosen code (hours for "present", the
// certificate date for "sick with certificate", "until" for absences). Works without it, too.
(function () {
  "use strict";
  function fit(form) {
    var select = form.querySelector(".code-select");
    if (!select) return;
    var code = select.value;
    form.querySelectorAll("[data-show-for]").forEach(function (box) {
      var wanted = box.dataset.showFor;
      var show = wanted === code || (wanted === "absence" && code && code !== "present");
      box.hidden = !show;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("attendance-day");
    if (!root) return;
    root.querySelectorAll(".confirm-form").forEach(function (form) {
      var select = form.querySelector(".code-select");
      if (select) select.addEventListener("change", function () { fit(form); });
      fit(form);
    });
    root.dataset.ready = "1";
  });
})();
