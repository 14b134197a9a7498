// Ordering questions (types/ordering/answer.html): "Move up" / "Move down" buttons beside each
// step, as an enhancement. Moving a step reorders the list and sets every step's Position
// select to its place in the list, so the selects (which work without this script) always
// hold the answer that is sent. A polite live region says where the step went.
(function () {
  "use strict";
  document.querySelectorAll("ul.ordering").forEach(function (list) {
    if (list.querySelector("select[disabled]")) return; // a checked answer is not moved
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    list.after(status);

    function steps() { return Array.prototype.slice.call(list.querySelectorAll("li.ordering-step")); }
    function number() {
      steps().forEach(function (step, i) { step.querySelector("select").value = String(i + 1); });
    }
    function button(label, text, step, delta) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button secondary ordering-move";
      b.textContent = label;
      b.setAttribute("aria-label", label + ": " + text);
      b.addEventListener("click", function () {
        var all = steps(), at = all.indexOf(step), to = at + delta;
        if (to < 0 || to >= all.length) return;
        if (delta < 0) list.insertBefore(step, all[to]); else list.insertBefore(all[to], step);
        number();
        b.focus();
        status.textContent = text + ": position " + (to + 1) + " of " + all.length + ".";
      });
      return b;
    }
    steps().forEach(function (step) {
      var text = step.querySelector(".ordering-text").textContent.trim();
      var moves = document.createElement("span");
      moves.className = "ordering-moves";
      moves.append(button("Move up", text, step, -1), button("Move down", text, step, 1));
      step.append(moves);
    });
  });
})();
