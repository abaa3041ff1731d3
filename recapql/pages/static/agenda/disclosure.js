// Things a reader opens and closes: a button showing a panel, or a <details>. Escape closes what
// the reader opened and gives the focus back to what opened it.
export function disclosure(button, panel, onOpen) {
  function set(open) {
    if (open) { panel.removeAttribute("hidden"); } else { panel.setAttribute("hidden", ""); }
    button.setAttribute("aria-expanded", String(open));
    if (open && onOpen) { onOpen(); }
  }
  button.addEventListener("click", () => set(panel.hasAttribute("hidden")));
  const escape = (event) => {
    if (event.key !== "Escape" || panel.hasAttribute("hidden")) { return; }
    event.stopPropagation();
    set(false);
    button.focus();
  };
  button.addEventListener("keydown", escape);
  panel.addEventListener("keydown", escape);
  return set;
}

export function closesOnEscape(details) {
  details.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !details.open) { return; }
    event.stopPropagation();
    details.open = false;
    details.querySelector("summary").focus();
  });
}
