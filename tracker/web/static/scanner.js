// What the scan station and the receiving checklist share: the scan input (a keyboard-wedge
// scanner types the code and presses Enter), the camera where BarcodeDetector exists,
// feedback with a sound, and calls to the JSON API with the page's CSRF token.
"use strict";

const Scanner = (() => {
  const pageData = JSON.parse(document.getElementById("page-data").textContent);
  const messages = pageData.messages;
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  let audio = null;

  // crypto.randomUUID needs a secure context; an intranet http:// address is not one.
  function uuid() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function deviceId() {
    let id = localStorage.getItem("tracker.deviceId");
    if (!id) {
      id = "web-" + uuid();
      localStorage.setItem("tracker.deviceId", id);
    }
    return id;
  }

  function beep(ok) {
    try {
      audio = audio || new AudioContext();
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = ok ? "sine" : "square";
      oscillator.frequency.value = ok ? 1046 : 220;
      gain.gain.value = 0.08;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + (ok ? 0.12 : 0.4));
    } catch (error) {
      // No sound on this device: the colour still tells.
    }
  }

  function feedback(kind, text) {
    const box = document.getElementById("feedback");
    box.className = "feedback " + kind;
    box.textContent = text;
    if (kind !== "wait") beep(kind === "ok");
  }

  async function api(method, path, body, headers = {}) {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    return { status: response.status, answer };
  }

  function onScan(input, handle) {
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const code = input.value.trim().toUpperCase();
      input.value = "";
      if (code) handle(code);
    });
    document.addEventListener("click", (event) => {
      if (!event.target.closest("button, a, input, select, textarea, label")) input.focus();
    });
  }

  async function startCamera(handle) {
    const video = document.getElementById("camera");
    try {
      const formats = await BarcodeDetector.getSupportedFormats();
      const detector = new BarcodeDetector({ formats: formats.filter((f) => ["code_128", "qr_code"].includes(f)) });
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.hidden = false;
      await video.play();
      let last = { code: "", at: 0 };
      const look = async () => {
        for (const found of await detector.detect(video).catch(() => [])) {
          const code = found.rawValue.trim().toUpperCase();
          if (code !== last.code || Date.now() - last.at > 2500) handle(code);
          last = { code, at: Date.now() };
        }
        setTimeout(look, 200);
      };
      look();
    } catch (error) {
      feedback("bad", messages.camera_failed);
    }
  }

  function offerCamera(handle) {
    const button = document.getElementById("camera-button");
    if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      button.hidden = true;
      startCamera(handle);
    });
  }

  return { pageData, messages, uuid, deviceId, feedback, api, onScan, offerCamera };
})();
