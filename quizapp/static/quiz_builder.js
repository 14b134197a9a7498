// The quiz builder, enhanced: only the chosen selection part shows, and the total of the
// per-topic counts and of the chosen questions follows what is typed and ticked. Without
// script both parts show, each saying when it is used, and the server shows the totals.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-builder");
  if (!form) { return; }
  var radios = form.querySelectorAll("input[name=selection]");
  var parts = form.querySelectorAll(".selection-part");

  function chosenMode() {
    for (var i = 0; i < radios.length; i++) { if (radios[i].checked) { return radios[i].value; } }
    return "per_topic";
  }
  function showChosen() {
    var mode = chosenMode();
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-mode") !== mode;
    }
  }
  function topicTotal() {
    var total = 0;
    var inputs = form.querySelectorAll("input.topic-count");
    for (var i = 0; i < inputs.length; i++) {
      var n = parseInt(inputs[i].value, 10);
      if (n > 0) { total += n; }
    }
    var out = document.getElementById("topic-total");
    if (out) { out.textContent = String(total); }
  }
  function fixedTotal() {
    var out = document.getElementById("fixed-total");
    if (out) { out.textContent = String(form.querySelectorAll("input[name=picked]:checked").length); }
  }
  for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", showChosen); }
  form.addEventListener("input", topicTotal);
  form.addEventListener("change", fixedTotal);
  document.documentElement.classList.add("js-builder");
  showChosen();
  topicTotal();
  fixedTotal();
})();
