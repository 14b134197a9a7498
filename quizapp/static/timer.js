/* The countdown of a timed attempt (issue 16). Progressive enhancement: the page already
   says when the time ends, and the server alone decides whether an answer counts; this
   script shows the minutes left and warns, once each, at 5 minutes, 1 minute and the end,
   in live regions a screen reader announces. The deadline and the server's clock come in
   data- attributes (ISO UTC), so a wrong clock on the device does not shift the count. */
(function () {
  "use strict";
  var box = document.getElementById("timer");
  if (!box || !box.getAttribute("data-deadline")) { return; }
  var deadline = Date.parse(box.getAttribute("data-deadline"));
  var serverNow = Date.parse(box.getAttribute("data-now") || "");
  if (isNaN(deadline)) { return; }
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
  var countdown = box.querySelector("[data-countdown]");
  var polite = document.getElementById("timer-polite");
  var urgent = document.getElementById("timer-urgent");
  var storageKey = "quizapp-timer-warned:" + box.getAttribute("data-deadline");
  var NONE = 0, FIVE = 1, ONE = 2, END = 3;

  function levelFor(ms) {
    if (ms <= 0) { return END; }
    if (ms <= 60000) { return ONE; }
    if (ms <= 300000) { return FIVE; }
    return NONE;
  }

  function warned() {  // the warnings already given on an earlier question page
    try { return Number(window.sessionStorage.getItem(storageKey)) || NONE; }
    catch (e) { return NONE; }
  }

  function rememberWarned(level) {
    try { window.sessionStorage.setItem(storageKey, String(level)); } catch (e) { /* private */ }
  }

  function clockText(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var mm = (hours && minutes < 10 ? "0" : "") + minutes;
    return (hours ? hours + ":" : "") + mm + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function warning(level, ms) {
    if (level === FIVE) {
      var minutes = Math.ceil(ms / 60000);
      return minutes + " minutes left. Your saved answers are kept.";
    }
    if (level === ONE) { return "1 minute left. Save this answer now."; }
    return "Time is up. Answers saved before the end will be marked.";
  }

  var lastLevel = warned();
  var timerId = null;

  function tick() {
    var left = deadline - (Date.now() + skew);
    var level = levelFor(left);
    countdown.textContent = level === END ? "Time is up." : "Time left: " + clockText(left);
    box.className = "timer" + (level >= ONE ? " timer-urgent" : level === FIVE ? " timer-warning" : "");
    if (level > lastLevel) {
      var region = level === FIVE ? polite : urgent;
      region.textContent = warning(level, left);
      lastLevel = level;
      rememberWarned(level);
    }
    if (level === END && timerId !== null) {
      window.clearInterval(timerId);
      timerId = null;
    }
  }

  countdown.hidden = false;
  tick();
  if (lastLevel < END) { timerId = window.setInterval(tick, 1000); }
}());
