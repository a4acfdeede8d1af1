// Warns two minutes before the session ends for lack of activity, with a button to stay
// logged in; when it has ended, goes to the log-in page, which says why.
//
// The server says how many seconds are left: on the script tag (data-resterend) for the page,
// and in the X-Sessie-Resterend header of every htmx answer. Another tab may have been active
// meanwhile, so before warning or leaving the script asks (GET, which is no activity).
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  var URL_SESSIE = script.dataset.url;
  var URL_UIT = script.dataset.uitgelogd;
  var CSRF = script.dataset.csrf;
  var WAARSCHUWEN = 120; // seconds before the end
  var SPEELRUIMTE = 3; // seconds after the end: the server has surely ended it by then
  var einde = 0;
  var timer = null;
  var melding = null;

  function nu() {
    return Date.now() / 1000;
  }

  function plan(resterend) {
    einde = nu() + resterend;
    if (timer) clearTimeout(timer);
    var wacht = resterend > WAARSCHUWEN ? resterend - WAARSCHUWEN : resterend + SPEELRUIMTE;
    timer = setTimeout(controleer, Math.max(wacht, 1) * 1000);
    if (resterend > WAARSCHUWEN) verberg();
  }

  function uitgelogd() {
    window.location.assign(URL_UIT);
  }

  function antwoord(response) {
    var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (!response.ok || response.redirected || !json) throw new Error("uitgelogd");
    return response.json();
  }

  function vraag(methode) {
    var opties = { method: methode, credentials: "same-origin", headers: {} };
    if (methode === "POST") opties.headers["X-CSRFToken"] = CSRF;
    return fetch(URL_SESSIE, opties).then(antwoord);
  }

  function controleer() {
    vraag("GET")
      .then(function (data) {
        if (data.resterend <= 0) return uitgelogd();
        if (data.resterend > WAARSCHUWEN) return plan(data.resterend);
        toon(data.resterend);
        plan(data.resterend);
      })
      .catch(function (fout) {
        if (nu() >= einde) uitgelogd();
        // Logged out elsewhere (another tab): the server sends this page where it belongs.
        else if (fout.message === "uitgelogd") window.location.reload();
        else plan(einde - nu()); // no connection: try again later
      });
  }

  function minuten(seconden) {
    var m = Math.max(1, Math.round(seconden / 60));
    return m === 1 ? "1 minuut" : m + " minuten";
  }

  function toon(resterend) {
    if (!melding) {
      melding = document.createElement("div");
      melding.className = "utrecht-alert utrecht-alert--warning";
      melding.setAttribute("role", "alert");
      melding.setAttribute("aria-live", "assertive");
      // CSSOM, not a style attribute: the CSP allows no inline styles.
      melding.style.position = "fixed";
      melding.style.insetBlockEnd = "1rem";
      melding.style.insetInlineEnd = "1rem";
      melding.style.maxInlineSize = "28rem";
      melding.style.zIndex = "1000";
      var inhoud = document.createElement("div");
      inhoud.className = "utrecht-alert__content";
      var tekst = document.createElement("p");
      tekst.className = "utrecht-paragraph";
      tekst.setAttribute("data-sessie-tekst", "");
      var knop = document.createElement("button");
      knop.type = "button";
      knop.className = "utrecht-button utrecht-button--primary-action";
      knop.textContent = "Ingelogd blijven";
      knop.addEventListener("click", blijf);
      inhoud.appendChild(tekst);
      inhoud.appendChild(knop);
      melding.appendChild(inhoud);
      document.body.appendChild(melding);
      knop.focus();
    }
    melding.querySelector("[data-sessie-tekst]").textContent =
      "U heeft een tijd niets gedaan. Over " + minuten(resterend) +
      " wordt u uitgelogd; wat u nog niet heeft opgeslagen, gaat dan verloren.";
  }

  function verberg() {
    if (melding) {
      melding.remove();
      melding = null;
    }
  }

  function blijf() {
    vraag("POST")
      .then(function (data) {
        plan(data.resterend);
        if (data.resterend <= WAARSCHUWEN) {
          // The maximum duration of a session: staying is not possible.
          melding.querySelector("[data-sessie-tekst]").textContent =
            "U bent de maximale tijd ingelogd. Over " + minuten(data.resterend) +
            " wordt u uitgelogd; sla uw werk nu op.";
        }
      })
      .catch(uitgelogd);
  }

  // An htmx request is activity too: its answer says how long is left now.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var waarde = xhr && xhr.getResponseHeader("X-Sessie-Resterend");
    if (waarde !== null && waarde !== undefined && waarde !== "") plan(Number(waarde));
  });

  plan(Number(script.dataset.resterend));
})();
