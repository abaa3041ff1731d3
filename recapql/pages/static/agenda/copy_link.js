// "Copy link": the session's address to the clipboard, or, where the browser refuses the
// clipboard, the address shown selected for the reader to copy by hand.
import { element } from "./elements.js";

export function copyLink(path, label) {
  const url = new URL(path, location.origin).href;
  const button = element("button", { type: "button", class: "copy-link", text: "Copy link",
    "aria-label": label ? "Copy link to " + label : null });
  const said = element("span", { class: "copy-said", role: "status" });
  const input = element("input", { type: "text", readonly: true, value: url, "aria-label": "The link" });
  const fallback = element("span", { class: "copy-fallback", hidden: true }, [
    element("span", { text: "The browser refused the clipboard; copy this link: " }), input]);
  function offerByHand() {
    said.textContent = "";
    fallback.removeAttribute("hidden");
    input.focus();
    input.select();
  }
  button.addEventListener("click", () => {
    if (!navigator.clipboard || !navigator.clipboard.writeText) { offerByHand(); return; }
    navigator.clipboard.writeText(url).then(() => {
      fallback.setAttribute("hidden", "");
      said.textContent = "Link copied";
    }, offerByHand);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") { return; }
    event.stopPropagation();
    fallback.setAttribute("hidden", "");
    button.focus();
  });
  return element("span", { class: "copy" }, [button, said, fallback]);
}
