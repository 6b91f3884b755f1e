// The intake form: a handheld scanner types the S10 number and then Enter. That Enter moves
// to the next field instead of saving a half-filled form; only the save button saves.
"use strict";

(() => {
  const form = document.getElementById("intake");
  if (!form) return;
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT") return;
    event.preventDefault();
    const fields = [...form.querySelectorAll("input:not([type=hidden]), select, textarea, button")];
    const next = fields[fields.indexOf(field) + 1];
    if (next) next.focus();
  });
})();
