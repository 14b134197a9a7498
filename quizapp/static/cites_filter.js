// Progressive enhancement for the cited-sections checkboxes: a box that hides the sections
// whose heading or key does not contain the words typed. Without it every box is shown.
(function () {
  "use strict";
  var box = document.getElementById("cites-filter");
  if (!box) { return; }
  box.parentElement.hidden = false;
  var options = document.querySelectorAll(".cite-option");
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    options.forEach(function (option) {
      var text = option.textContent.toLowerCase();
      var ticked = option.querySelector("input").checked;
      option.hidden = !ticked && !words.every(function (w) { return text.indexOf(w) !== -1; });
    });
  });
}());
