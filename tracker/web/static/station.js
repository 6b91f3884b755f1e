// The scan station. Every scan goes into a queue kept in localStorage (with its device time
// and an idempotency key) before it is sent through /api/v1/scans/batch: when the server
// cannot be reached the scans wait, survive a closed tab, and go when the connection is back.
// The server applies each key once, so sending again after a lost answer records nothing twice.
"use strict";

(() => {
  const { pageData, messages, feedback } = Scanner;
  const transfer = pageData.transfer;
  // One queue per user: on a shared device, scans wait for the person who made them.
  const QUEUE_KEY = `tracker.scanQueue.${pageData.user}`;
  const BATCH_SIZE = 200;
  const MAX_CODE_LENGTH = 64;
  const lines = document.querySelector("#lines tbody");
  let sending = false;
  let online = true;

  const loadQueue = () => JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
  function saveQueue(queue) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    document.getElementById("pending").textContent = queue.length;
  }

  function enqueue(action, code, extra = {}) {
    const entry = {
      idempotency_key: Scanner.uuid(),
      code,
      action,
      transfer_code: action === "dispatch" ? null : transfer,
      occurred_at: new Date().toISOString(),
      device_id: Scanner.deviceId(),
      ...extra,
    };
    saveQueue([...loadQueue(), entry]);
    return entry;
  }

  function setOnline(value) {
    online = value;
    const label = document.getElementById("connection");
    label.textContent = value ? messages.online : messages.offline;
    label.className = value ? "" : "offline";
  }

  const updateCount = () => {
    const count = lines.querySelectorAll("tr.ok").length;
    document.getElementById("count").textContent = count;
    document.getElementById("cancel-form").hidden = count > 0;
  };

  function cells(row, values) {
    row.replaceChildren(...values.map((value) => {
      const cell = document.createElement("td");
      if (value instanceof Node) cell.append(value);
      else cell.textContent = value ?? "";
      return cell;
    }));
  }

  function removeButton(code) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "danger";
    button.dataset.remove = code;
    button.textContent = messages.remove;
    return button;
  }

  function pendingRow(entry) {
    const row = document.createElement("tr");
    row.className = "wait";
    row.dataset.key = entry.idempotency_key;
    row.dataset.code = entry.code;
    cells(row, [entry.code, messages.queued, "", ""]);
    lines.prepend(row);
  }

  function reason(error) {
    return (messages.errors && messages.errors[error.code]) || error.message;
  }

  // A dossier's code the page cannot settle alone: one button a packet the unit holds, and at
  // the dossier's department, while it has no result yet, a button that makes the result.
  const ASKS = ["several_packets", "result_awaited"];
  const labelUrls = new Map();  // result packets made on this page: their label, to print

  function choices(error) {
    const box = document.createElement("div");
    if (error.code === "result_awaited") {
      const make = document.createElement("button");
      make.type = "button";
      make.dataset.result = error.details.dossier;
      make.textContent = messages.create_result;
      box.append(make);
    }
    for (const code of (error.details && error.details.items) || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.choose = code;
      button.textContent = code;
      box.append(button);
    }
    return box;
  }

  function showAdded(result, row) {
    if (result.outcome === "refused") {
      row.className = "bad";
      const asks = ASKS.includes(result.error.code);
      cells(row, [result.code, asks ? messages.choose : messages.refused, reason(result.error), asks ? choices(result.error) : ""]);
      feedback("bad", `${result.code}: ${reason(result.error)}`);
      return;
    }
    const item = result.item || {};
    row.className = "ok";
    row.dataset.code = item.code || result.code;
    const actions = document.createElement("div");
    if (labelUrls.has(row.dataset.code)) {
      const print = document.createElement("a");
      print.className = "button secondary";
      print.href = labelUrls.get(row.dataset.code);
      print.download = `nhan-${row.dataset.code}.pdf`;  // the station stays open behind it
      print.textContent = messages.print_label;
      actions.append(print);
    }
    actions.append(removeButton(row.dataset.code));
    cells(row, [row.dataset.code, item.dossier_code, item.procedure_name, actions]);
    feedback("ok", `${messages.added}: ${row.dataset.code} · ${item.dossier_code || ""} · ${item.procedure_name || ""}`);
  }

  function showOutcome(result) {
    const row = lines.querySelector(`tr[data-key="${result.idempotency_key}"]`);
    if (result.action === "add" && row) showAdded(result, row);
    if (result.action === "remove" && row) {
      if (result.outcome === "refused") {
        row.className = "ok";
        feedback("bad", `${result.code}: ${reason(result.error)}`);
      } else {
        row.remove();
        feedback("ok", `${messages.removed}: ${result.code}`);
      }
    }
    if (result.action === "dispatch" && result.code === transfer) {
      if (result.outcome === "refused") feedback("bad", reason(result.error));
      else window.location.reload();
    }
    updateCount();
  }

  async function flush() {
    const batch = loadQueue().slice(0, BATCH_SIZE);
    if (sending || !batch.length) return;
    sending = true;
    try {
      const { status, answer } = await Scanner.api("POST", "/api/v1/scans/batch", { scans: batch });
      setOnline(true);
      if (status === 200) {
        const done = new Set(answer.results.map((result) => result.idempotency_key));
        saveQueue(loadQueue().filter((entry) => !done.has(entry.idempotency_key)));
        answer.results.forEach(showOutcome);
      } else {
        feedback("bad", status === 401 ? messages.session_expired : (answer.error || {}).message || status);
      }
    } catch (error) {
      setOnline(false);  // no answer at all: the scans stay queued
      feedback("wait", messages.waiting);
    } finally {
      sending = false;
    }
    if (online && loadQueue().length) setTimeout(flush, 0);
  }

  function scan(code) {
    if (code.length > MAX_CODE_LENGTH || /\s/.test(code)) {
      feedback("bad", `${code.slice(0, MAX_CODE_LENGTH)}…: ${messages.unknown_code}`);
      return;
    }
    pendingRow(enqueue("add", code));
    feedback("wait", `${code}: ${messages.sending}`);
    flush();
  }

  // Tạo kết quả: the result packet is made at once, goes into this transfer, and offers its label.
  async function createResult(dossier, row) {
    row.className = "wait";
    const { status, answer } = await Scanner.api(
      "POST", `/api/v1/dossiers/${encodeURIComponent(dossier)}/result`, { device_id: Scanner.deviceId() },
    ).catch(() => ({ status: 0, answer: {} }));
    if (status !== 201) {
      row.className = "bad";
      feedback("bad", status ? reason(answer.error || {}) : messages.waiting);
      return;
    }
    labelUrls.set(answer.code, answer.label_url);
    row.remove();
    feedback("ok", `${messages.result_made}: ${answer.code}`);
    scan(answer.code);
  }

  lines.addEventListener("click", (event) => {
    if (event.target.dataset.result) {
      createResult(event.target.dataset.result, event.target.closest("tr"));
      return;
    }
    const chosen = event.target.dataset.choose;
    if (chosen) {
      event.target.closest("tr").remove();
      scan(chosen);
      return;
    }
    const code = event.target.dataset.remove;
    if (!code) return;
    const row = event.target.closest("tr");
    row.className = "wait";
    row.dataset.key = enqueue("remove", code).idempotency_key;
    updateCount();
    flush();
  });

  // Dispatching is asked for, with the seal number and the number of sealed bags.
  const confirmDialog = document.getElementById("confirm-dispatch");
  document.getElementById("dispatch").addEventListener("click", () => {
    document.getElementById("confirm-count").textContent = document.getElementById("count").textContent;
    confirmDialog.showModal();
  });
  document.getElementById("seal-number").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();  // a scanned seal's Enter moves on; it never confirms the dispatch
    document.getElementById("bag-count").focus();
  });
  confirmDialog.addEventListener("close", () => {
    if (confirmDialog.returnValue !== "confirm") return;
    const bags = parseInt(document.getElementById("bag-count").value, 10);
    enqueue("dispatch", transfer, {
      seal_number: document.getElementById("seal-number").value.trim() || null,
      bag_count: Number.isInteger(bags) && bags > 0 ? bags : null,
    });
    feedback("wait", messages.dispatching);
    flush();
  });

  loadQueue()
    .filter((entry) => entry.transfer_code === transfer && entry.action === "add")
    .forEach(pendingRow);
  saveQueue(loadQueue());
  Scanner.onScan(document.getElementById("scan"), scan);
  Scanner.offerCamera(scan);
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  flush();
})();
