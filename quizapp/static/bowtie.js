// Bow-tie answers (types/bowtie/answer.html): once a list has as many ticks as it allows
// (2 actions, 2 parameters), its other boxes are disabled until one is unticked, and the
// "n of 2 chosen" line is kept up to date for screen readers. Progressive enhancement: the
// server refuses more picks anyway, and a locked page has no data-bowtie.
(function () {
  "use strict";
  function update(group) {
    var pick = parseInt(group.getAttribute("data-pick"), 10);
    var boxes = Array.prototype.slice.call(group.querySelectorAll("input[type=checkbox]"));
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    boxes.forEach(function (box) { box.disabled = !box.checked && ticked >= pick; });
    var count = group.querySelector(".bowtie-count");
    var chosen = ticked || group.querySelectorAll("input:checked").length;
    if (count) count.textContent = chosen + " of " + pick + " chosen";
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-bowtie] .bowtie-group"), function (group) {
    update(group);
    group.addEventListener("change", function () { update(group); });
  });
})();
