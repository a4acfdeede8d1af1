// Arrow keys move between the hour cells of the week grid, as in a spreadsheet.
// Progressive enhancement: without this script Tab still walks every field in order.
document.querySelectorAll("[data-rooster]").forEach((tabel) => {
  const richting = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  tabel.addEventListener("keydown", (event) => {
    const stap = richting[event.key];
    const cel = event.target.closest("td");
    if (!stap || !cel || !event.target.classList.contains("app-uren")) return;
    const rijen = [...tabel.tBodies[0].rows];
    let rij = rijen.indexOf(cel.parentElement);
    let kolom = cel.cellIndex;
    // Skip closed cells (no input) in the direction of travel.
    for (;;) {
      rij += stap[0];
      kolom += stap[1];
      const doel = rijen[rij]?.cells[kolom];
      if (!doel || kolom < 1) return;
      const invoer = doel.querySelector(".app-uren");
      if (invoer) {
        event.preventDefault();
        invoer.focus();
        invoer.select();
        return;
      }
    }
  });
});
