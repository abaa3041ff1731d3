// How the pictures write dates, counts and long names. Dates are written from their ISO parts, not
// through the browser's locale or time zone, so 2018-05-02 reads "Wed 2 May 2018" everywhere.
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function parts(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return { year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** "Wed 2 May 2018" for "2018-05-02". */
export function humanDate(iso) {
  const { year, month, day, weekday } = parts(iso);
  return `${WEEKDAYS[weekday]} ${day} ${MONTHS[month - 1]} ${year}`;
}

/** "Wed 2 May": a column's heading, where the year is the same for every column. */
export function shortDate(iso) {
  const { month, day, weekday } = parts(iso);
  return `${WEEKDAYS[weekday]} ${day} ${MONTHS[month - 1]}`;
}

/** "2 May": for a column too narrow for the weekday. */
export function dayAndMonth(iso) {
  const { month, day } = parts(iso);
  return `${day} ${MONTHS[month - 1]}`;
}

/** "1 session", "3 sessions", "1,204 sessions". */
export function plural(count, one, many = `${one}s`) {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

/**
 * `text` cut after its last whole word that fits in `chars` characters, with "…" (a first word
 * longer than that is kept whole: see `fittedText`). The link's name and tooltip keep the whole
 * text; they start with the words shown, which speech input users say to follow a link.
 */
export function clip(text, chars) {
  if (text.length <= chars) return text;
  const cut = text.slice(0, Math.max(1, chars - 1));
  const space = cut.lastIndexOf(" ");
  const kept = space > 0 ? cut.slice(0, space) : text.split(" ")[0];
  return kept.length === text.length ? text : `${kept.replace(/[\s,:;.-]+$/, "")}…`;
}
