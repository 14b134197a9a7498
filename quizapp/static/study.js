/* Flag and strike-out toggles in place (issue 16). Without JavaScript each toggle is a submit
   button that posts the answer form to its own route, which saves it and shows the question
   again with the answer chosen so far. Here the same form is posted with fetch (so the CSRF
   token and the chosen answer go along, and nothing else on the page changes), the saved state
   comes back as JSON, and the button's aria-pressed and the words beside it follow it; focus
   stays on the button. If the fetch fails, the button is submitted the ordinary way. */
(function () {
  "use strict";

  function setFlag(button, flagged) {
    button.setAttribute("aria-pressed", flagged ? "true" : "false");
    button.value = flagged ? "0" : "1";
    var note = button.parentNode.querySelector("[data-flag-note]");
    if (note) { note.hidden = !flagged; }
  }

  function setStruck(button, struck) {
    var on = struck.indexOf(button.value) !== -1;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.name = on ? "strike_off" : "strike_on";
    var row = button.closest("li");
    if (row) {
      row.classList.toggle("struck", on);
      var note = row.querySelector(".struck-note");
      if (note) { note.hidden = !on; }
    }
  }

  function send(button) {
    var form = button.form;
    var body = new FormData(form);
    body.append(button.name, button.value);
    button.setAttribute("aria-busy", "true");
    return fetch(button.formAction, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (reply) {
      if (!reply.ok) { throw new Error("refused"); }
      return reply.json();
    }).then(function (saved) {
      if (Object.prototype.hasOwnProperty.call(saved, "flagged")) { setFlag(button, saved.flagged); }
      if (saved.struck) { setStruck(button, saved.struck); }
    }).finally(function () {
      button.removeAttribute("aria-busy");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-study-toggle]");
    if (!button || !button.form || button.hasAttribute("data-plain")) { return; }
    event.preventDefault();
    if (button.getAttribute("aria-busy") === "true") { return; }
    send(button).catch(function () {
      button.setAttribute("data-plain", "");  // the server's page says what went wrong
      button.form.requestSubmit(button);
    });
  });
})();
