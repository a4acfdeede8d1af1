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

// What was typed survives a failed save: the grid's values wait in sessionStorage (per page
// and week) until the server confirms "Week opgeslagen". Offline, the save is not sent at all.
document.querySelectorAll("form[data-bewaar]").forEach((form) => {
  const sleutel = `weekrooster:${form.dataset.bewaar}`;
  const velden = () => [...form.querySelectorAll(".app-uren, .app-soort, [name='reden']")];
  // Storage refused or full: the form works as before, only without this safety net.
  const opslag = (doe) => {
    try {
      return doe(window.sessionStorage);
    } catch {
      return null;
    }
  };
  const bewaar = () =>
    opslag((s) => s.setItem(sleutel, JSON.stringify(Object.fromEntries(velden().map((v) => [v.name, v.value])))));
  const wis = () => opslag((s) => s.removeItem(sleutel));
  const meld = (regio, tekst, soort) => {
    const vak = form.querySelector(regio);
    vak.className = `app-week__melding utrecht-alert utrecht-alert--${soort}`;
    vak.replaceChildren(Object.assign(document.createElement("p"), { className: "utrecht-paragraph", textContent: tekst }));
  };

  const meldingen = [...document.querySelectorAll("[role='status']")].map((m) => m.textContent).join(" ");
  if (/Week opgeslagen|Er was niets gewijzigd/.test(meldingen)) {
    wis();
  } else if (form.hasAttribute("data-na-post")) {
    bewaar(); // errors or a standard day: the server shows what was typed, still unsaved
  } else {
    // A save that never arrived (connection lost, page reloaded): put the typing back.
    const oud = opslag((s) => JSON.parse(s.getItem(sleutel)));
    const anders = oud ? velden().filter((v) => v.name in oud && v.value !== oud[v.name]) : [];
    for (const veld of anders) veld.value = oud[veld.name];
    if (anders.length) {
      meld("[data-melding-info]", "Niet opgeslagen invoer teruggezet. Controleer de uren en sla de week op.", "warning");
    } else {
      wis();
    }
  }

  form.addEventListener("input", bewaar);
  form.addEventListener("change", bewaar);
  form.addEventListener("submit", (event) => {
    bewaar();
    if (navigator.onLine === false) {
      event.preventDefault();
      meld("[data-melding-fout]", "Geen verbinding. Wat u typte staat er nog; probeer het zo opnieuw.", "error");
    }
  });
  window.addEventListener("online", () => form.querySelector("[data-melding-fout]").replaceChildren());
});
