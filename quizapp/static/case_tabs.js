// Exhibit tabs for case studies (progressive enhancement): the exhibits, each a heading with
// its content, become a WAI-ARIA tablist. Left/Right arrows move between tabs (wrapping),
// Home/End go to the first/last; the selected tab is the only one in the tab order.
(function () {
  "use strict";
  function setUp(box) {
    var panels = Array.prototype.slice.call(box.querySelectorAll(":scope > section.exhibit"));
    if (panels.length < 2) { return; }
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", box.getAttribute("data-label") || "Exhibits");
    list.className = "exhibit-tablist";
    var tabs = panels.map(function (panel, index) {
      var heading = panel.querySelector(".exhibit-heading");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.className = "exhibit-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.innerHTML = heading.innerHTML;
      heading.classList.add("visually-hidden");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.setAttribute("tabindex", "0");
      tab.addEventListener("click", function () { select(index, false); });
      list.appendChild(tab);
      return tab;
    });
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) { tabs[index].focus(); }
    }
    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) { return; }
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true);
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add("exhibits-tabbed");
    select(0, false);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-exhibit-tabs]"), setUp);
})();
