// The signature pad: drawn with a finger, a pen or a mouse (pointer events), sent as a PNG
// data URL in the form's hidden field; a signature sent back after a refusal is drawn again.
"use strict";

(() => {
  const canvas = document.getElementById("signature-pad");
  const field = document.getElementById("signature");
  const context = canvas.getContext("2d");
  let drawing = false;

  function fit() {
    const ratio = window.devicePixelRatio || 1;
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#102a43";
  }

  function at(event) {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    const point = at(event);
    context.beginPath();
    context.moveTo(point.x, point.y);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const point = at(event);
    context.lineTo(point.x, point.y);
    context.stroke();
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    field.value = canvas.toDataURL("image/png");
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);

  document.getElementById("signature-clear").addEventListener("click", () => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    field.value = "";
  });

  fit();
  if (field.value) {
    const kept = new Image();
    kept.onload = () => context.drawImage(kept, 0, 0, canvas.getBoundingClientRect().width, canvas.getBoundingClientRect().height);
    kept.src = field.value;
  }
})();
