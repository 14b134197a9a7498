/* The on-screen calculator of a calculation question (issue 16). Progressive enhancement: the
   widget is rendered hidden and shown here, so without JavaScript nothing broken is on the
   page. Keys are buttons (Tab, Enter, Space); typing digits, + - * / . = Enter, Backspace and
   Escape also works while focus is in the calculator. The sum is worked out by the small
   parser below (numbers, + - × ÷, unary minus, usual precedence): never eval or Function.
   "Use this value" puts the result in the answer field and moves focus there. */
(function () {
  "use strict";
  var MAX_CHARS = 40;
  var OPS = { "+": "+", "-": "−", "*": "×", "/": "÷" };

  function tokenize(text) {
    var tokens = [], i = 0;
    while (i < text.length) {
      var ch = text.charAt(i);
      if (OPS[ch]) { tokens.push(ch); i += 1; continue; }
      var match = /^(\d+\.?\d*|\.\d+)/.exec(text.slice(i));
      if (!match) { throw new Error("bad"); }
      tokens.push(Number(match[1]));
      i += match[1].length;
    }
    return tokens;
  }

  // expr := term (("+" | "-") term)* ; term := factor (("*" | "/") factor)* ;
  // factor := "-" factor | number
  function evaluate(text) {
    var tokens = tokenize(text), pos = 0;
    function peek() { return tokens[pos]; }
    function factor() {
      var token = tokens[pos++];
      if (token === "-") { return -factor(); }
      if (typeof token !== "number") { throw new Error("bad"); }
      return token;
    }
    function term() {
      var value = factor();
      while (peek() === "*" || peek() === "/") {
        var op = tokens[pos++], right = factor();
        if (op === "/" && right === 0) { throw new Error("zero"); }
        value = op === "*" ? value * right : value / right;
      }
      return value;
    }
    function expr() {
      var value = term();
      while (peek() === "+" || peek() === "-") {
        var op = tokens[pos++], right = term();
        value = op === "+" ? value + right : value - right;
      }
      return value;
    }
    var result = expr();
    if (pos !== tokens.length || !isFinite(result)) { throw new Error("bad"); }
    return Number(result.toPrecision(12));
  }

  function shown(text) {
    return text.replace(/[+\-*/]/g, function (op) { return " " + OPS[op] + " "; });
  }

  function setUp(box) {
    var display = box.querySelector("[data-calc-display]");
    var useButton = box.querySelector("[data-calc-use]");
    var target = document.getElementById(box.getAttribute("data-target") || "answer");
    var text = "", result = null;

    function show(message) { display.textContent = message; }

    function press(key) {
      if (key === "C" || key === "Escape") { text = ""; result = null; show("0"); return; }
      if (key === "Backspace") {
        text = text.slice(0, -1); result = null; show(text ? shown(text) : "0"); return;
      }
      if (key === "=" || key === "Enter") {
        try {
          result = evaluate(text);
          text = String(result);
          show("= " + text);
        } catch (err) {
          result = null;
          show(err.message === "zero" ? "Cannot divide by zero" : "Not a complete sum");
        }
        return;
      }
      if (text.length >= MAX_CHARS) { return; }
      if (result !== null && !OPS[key]) { text = ""; }  // a digit after "=" starts anew
      result = null;
      text += key;
      show(shown(text));
    }

    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-key]");
      if (button) { press(button.getAttribute("data-key")); }
    });
    box.addEventListener("keydown", function (event) {
      var key = event.key;
      var onButton = event.target.tagName === "BUTTON";
      if ((key === "Enter" || key === " ") && onButton) { return; }  // the button's own click
      if (/^[0-9.]$/.test(key) || OPS[key] || key === "=" || key === "Enter" ||
          key === "Backspace" || key === "Escape") {
        event.preventDefault();
        press(key);
      }
    });
    useButton.addEventListener("click", function () {
      var value = result;
      if (value === null) {
        try { value = evaluate(text); } catch (err) { value = null; }
      }
      if (value === null || !target) { show("Nothing to use yet: finish the sum first"); return; }
      target.value = String(value);
      target.focus();
    });
    box.hidden = false;
  }

  document.querySelectorAll("[data-calculator]").forEach(setUp);
})();
