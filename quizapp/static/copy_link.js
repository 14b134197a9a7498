// Progressive enhancement: a Copy button beside each read-only link box (the box itself can be
// selected and copied without JavaScript).
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");
  function say(text) { if (status) { status.textContent = text; } }
  document.querySelectorAll("input[data-copy-link]").forEach(function (input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button copy-button";
    button.textContent = "Copy link";
    if (input.dataset.who) { button.setAttribute("aria-label", "Copy the link for " + input.dataset.who); }
    button.addEventListener("click", function () {
      var done = function () { say("Copied the link for " + (input.dataset.who || "the user") + "."); };
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          say("Could not copy: the link is selected, press Ctrl+C (or long-press) to copy it.");
        });
      } else {
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        if (copied) { done(); } else { say("The link is selected: press Ctrl+C (or long-press) to copy it."); }
      }
    });
    input.insertAdjacentElement("afterend", button);
  });
})();
