// Matching questions on a narrow screen (types/matching/answer.html): a native select shows
// only as much of the chosen option as fits its box, so when the chosen option's text does
// not fit, its full text is written under the select. Progressive enhancement: without this
// script the page works as before (and a locked page has the text from the server).
(function () {
  "use strict";
  var ARROW = 28; // room the select's own arrow takes, in px
  var ruler = document.createElement("canvas").getContext("2d");

  function fits(select, text) {
    // A select of its own width is as wide as its longest option: only one held to the width
    // of the question (a phone, or max-width) can cut an option off.
    if (select.offsetWidth < select.parentElement.clientWidth - 1) return true;
    if (!ruler) return false;
    var s = window.getComputedStyle(select);
    ruler.font = [s.fontStyle, s.fontWeight, s.fontSize, s.fontFamily].join(" ");
    var room = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - ARROW;
    return ruler.measureText(text).width <= room;
  }

  function update(select) {
    var echo = document.getElementById(select.getAttribute("data-echo"));
    if (!echo) return;
    var option = select.options[select.selectedIndex];
    var text = option && option.value ? option.text : "";
    echo.querySelector("[data-chosen-text]").textContent = text;
    echo.hidden = !text || fits(select, text);
  }

  var selects = Array.prototype.slice.call(document.querySelectorAll(".matching select[data-echo]"));
  selects.forEach(function (select) {
    update(select);
    select.addEventListener("change", function () { update(select); });
  });
  window.addEventListener("resize", function () { selects.forEach(update); });
})();
