// Certificate pages, progressive enhancement only (everything works without it):
// * printing page: ticking a household switches the range to "only the ticked households";
// * household page: the 样张 link follows the chosen policy year.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.name === "household_id" && field.checked) {
    const selected = field.form && field.form.querySelector("input[name=scope][value=selected]");
    if (selected) selected.checked = true;
  }
  if (field instanceof HTMLSelectElement && field.id === "year") {
    for (const link of document.querySelectorAll("a[data-preview]")) {
      link.href = link.href.replace(/year=\d+/, "year=" + encodeURIComponent(field.value));
    }
  }
});
