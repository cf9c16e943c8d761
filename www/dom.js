// DOM helpers the page's views share: look-ups, tables, number formatting, error lines.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with properties (textContent, className, …). */
export const el = (tag, props = {}) => Object.assign(document.createElement(tag), props);

/** A score as the tables show it: four decimals, or a dash when there is none. */
export const format = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(4));

/** Fills a table whose first column names rows; hides it (and the heading before it) when there are none. */
export function fillTable(table, headers, rows) {
  table.hidden = rows.length === 0;
  if (table.previousElementSibling) table.previousElementSibling.hidden = rows.length === 0;
  const head = el("tr");
  for (const h of headers) head.append(el("th", { textContent: h, scope: "col" }));
  table.replaceChildren(el("thead"), el("tbody"));
  table.tHead.append(head);
  table.tBodies[0].append(...rows.map(([name, ...cells]) => {
    const tr = el("tr");
    tr.append(el("th", { textContent: name, scope: "row" }));
    for (const c of cells) tr.append(el("td", { textContent: c }));
    return tr;
  }));
}

/** Replaces a select's options with `choices` ([value, text] pairs), selecting `selected`. */
export function setOptions(select, choices, selected = undefined) {
  select.replaceChildren(...choices.map(([value, text]) => new Option(text, value, false, value === selected)));
}

/** Shows `message` in the error line `id` (hidden when empty). */
export function showMessage(id, message) {
  $(id).textContent = message;
  $(id).hidden = !message;
}
