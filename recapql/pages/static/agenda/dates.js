// Dates as people read them ("Wed 2 May 2018"), from the API's ISO dates, with no time zone in
// between: a date is a day on the calendar, not an instant, so it is never shifted to the reader's zone.
import { element } from "./elements.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function humanDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  // Date.UTC and getUTCDay: the weekday of that calendar day, whatever the reader's zone.
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${day} ${MONTHS[month - 1]} ${year}`;
}

export function dateElement(iso) {
  return element("time", { datetime: iso, text: humanDate(iso) });
}

export function dateRange(start, end) {
  const fragment = document.createDocumentFragment();
  fragment.append(dateElement(start));
  if (end !== start) { fragment.append(" to ", dateElement(end)); }
  return fragment;
}
