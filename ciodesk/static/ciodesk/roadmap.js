// The roadmap board: drag a card to another quarter. Without this file every card still
// has its own quarter menu and Move button.
(() => {
  const board = document.getElementById("rm-board");
  if (!board) {
    return;
  }
  const status = document.getElementById("rm-status");
  const token = () => {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
  let dragged = null;

  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest(".rm-card[data-move-url]");
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("rm-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.item);
  });
  board.addEventListener("dragend", () => {
    if (dragged) {
      dragged.classList.remove("rm-dragging");
    }
    board.querySelectorAll(".rm-over").forEach((el) => el.classList.remove("rm-over"));
  });
  board.addEventListener("dragover", (event) => {
    const column = event.target.closest(".rm-drop");
    if (column && dragged) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("rm-over");
    }
  });
  board.addEventListener("dragleave", (event) => {
    const column = event.target.closest(".rm-drop");
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("rm-over");
    }
  });
  board.addEventListener("drop", async (event) => {
    const column = event.target.closest(".rm-drop");
    if (!column || !dragged) {
      return;
    }
    event.preventDefault();
    column.classList.remove("rm-over");
    const card = dragged;
    dragged = null;
    if (card.closest(".rm-column") === column) {
      return;
    }
    const body = new FormData();
    body.append("to", column.dataset.slot);
    status.textContent = "Moving…";
    try {
      const response = await fetch(card.dataset.moveUrl, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-CSRFToken": token() },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (!response.ok || !result.ok) {
        status.textContent = result.error || "The item could not be moved.";
        return;
      }
      // Reload so the column totals and the order by priority are the server's.
      window.location.reload();
    } catch (error) {
      status.textContent = "The item could not be moved: " + error;
    }
  });
})();
