/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  function annoncer(texte) {
    var zone = document.getElementById("annonce");
    if (!zone || !texte) return;
    zone.textContent = "";
    window.setTimeout(function () { zone.textContent = texte; }, 50);
  }

  function focaliser(racine) {
    var cible = racine.querySelector("#resume-erreurs") || racine.querySelector("h1");
    if (cible) {
      if (!cible.hasAttribute("tabindex")) cible.setAttribute("tabindex", "-1");
      cible.focus({ preventScroll: false });
    }
  }

  function initialiser(racine) {
    // Print and copy buttons only make sense with JavaScript.
    racine.querySelectorAll("[data-imprimer]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        document.body.classList.toggle("imprimer-detail", b.getAttribute("data-imprimer") === "detail");
        window.print();
      });
    });
    racine.querySelectorAll("[data-copier]").forEach(function (b) {
      if (!navigator.clipboard) return;
      b.hidden = false;
      b.addEventListener("click", function () {
        var champ = document.getElementById(b.getAttribute("data-copier"));
        navigator.clipboard.writeText(champ.value).then(function () {
          b.textContent = "Lien copié";
          annoncer("Lien copié dans le presse-papiers.");
        });
      });
    });
    // Filter a long select (specialties) as you type.
    racine.querySelectorAll("[data-filtre]").forEach(function (champ) {
      var liste = document.getElementById(champ.getAttribute("data-filtre"));
      if (!liste) return;
      champ.hidden = false;
      var options = Array.prototype.slice.call(liste.options);
      var normaliser = function (t) { return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
      champ.addEventListener("input", function () {
        var t = normaliser(champ.value);
        var visibles = 0;
        options.forEach(function (o) {
          var mots = normaliser(o.text + " " + (o.getAttribute("data-mots") || ""));
          var montre = !o.value || mots.indexOf(t) !== -1;
          o.hidden = !montre;
          if (montre && o.value) visibles += 1;
        });
        annoncer(visibles + " spécialité" + (visibles > 1 ? "s" : "") + " dans la liste.");
      });
      // Enter in the filter never submits the step half-filled: a single match is chosen,
      // otherwise the list takes the focus.
      champ.addEventListener("keydown", function (e) {
        if (e.key !== "Enter") return;
        e.preventDefault();
        var visibles = options.filter(function (o) { return o.value && !o.hidden; });
        if (visibles.length === 1) {
          liste.value = visibles[0].value;
          liste.dispatchEvent(new Event("change", { bubbles: true }));
          annoncer("Spécialité choisie\u00a0: " + visibles[0].text + ".");
        }
        liste.focus();
      });
    });
    // Commune suggestions: htmx fetches them; a click fills the field and the INSEE code.
    var texte = racine.querySelector("#id_commune_texte");
    if (texte) {
      texte.setAttribute("hx-get", texte.getAttribute("data-suggestions"));
      texte.setAttribute("hx-trigger", "input changed delay:250ms, search");
      texte.setAttribute("hx-target", "#suggestions-commune");
      texte.setAttribute("autocomplete", "off");
      texte.setAttribute("aria-controls", "suggestions-commune");
      if (window.htmx) window.htmx.process(texte);
      var code = racine.querySelector("#id_commune");
      var suggestions = racine.querySelector("#suggestions-commune");
      suggestions.addEventListener("click", function (e) {
        var bouton = e.target.closest(".suggestion");
        if (!bouton) return;
        texte.value = bouton.getAttribute("data-libelle");
        if (code) code.value = bouton.getAttribute("data-code");
        var info = racine.querySelector("#commune-info");
        if (info) {
          info.textContent = bouton.getAttribute("data-confirmation");
          info.hidden = false;
        }
        suggestions.innerHTML = "";
        annoncer("Commune choisie : " + bouton.textContent.trim());
        texte.focus();
      });
      texte.addEventListener("input", function () {
        if (code) code.value = "";
        var info = racine.querySelector("#commune-info");
        if (info) info.hidden = true;
      });
    }
    // Contract date: refresh the options open on that date.
    var date = racine.querySelector("#id_date_signature");
    if (date && date.hasAttribute("data-options") && racine.querySelector("#options-contrat")) {
      date.setAttribute("hx-get", date.getAttribute("data-options"));
      // « load » too: the options of the date shown (every option is listed without JS).
      date.setAttribute("hx-trigger", "load, change");
      date.setAttribute("hx-target", "#options-contrat");
      date.setAttribute("hx-swap", "outerHTML");
      date.setAttribute("hx-include", "[name='option']:checked");
      if (window.htmx) window.htmx.process(date);
    }
    secondAssistant(racine);
    // Staff batch: say that the work has started (the download follows).
    racine.querySelectorAll("form[data-lot]").forEach(function (f) {
      f.addEventListener("submit", function () {
        var message = f.querySelector("[data-lot-progression]");
        if (message) message.hidden = false;
      });
    });
  }

  // Back keeps the answers: before a step is sent, its own answers join the address of
  // the step in the history, so that coming back re-renders it filled in.
  var NON_REPONSES = ["csrfmiddlewaretoken", "commune_choisie", "chiffres_verifies"];
  function etapeMemoriser(formulaire) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(formulaire.elements, function (champ) {
      if (!champ.name || NON_REPONSES.indexOf(champ.name) !== -1) return;
      if (champ.type === "radio" && !champ.checked) return;
      if (champ.type === "checkbox") {
        if (champ.checked) params.set(champ.name, "true"); else params.delete(champ.name);
        return;
      }
      if (champ.value) params.set(champ.name, champ.value); else params.delete(champ.name);
    });
    window.history.replaceState(window.history.state, "", window.location.pathname + "?" + params.toString());
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var formulaire = e.detail.elt;
    if (formulaire && formulaire.matches && formulaire.matches(".etape form")) etapeMemoriser(formulaire);
  });

  // The second-assistant questions only when a second-assistant option is chosen.
  function secondAssistant(racine) {
    var bloc = racine.querySelector("[data-second-assistant]");
    if (!bloc) return;
    var maj = function () {
      var choisi = racine.querySelector("input[name='option']:checked");
      bloc.hidden = !(choisi && choisi.value.indexOf("second") === 0);
    };
    racine.querySelectorAll("input[name='option']").forEach(function (r) { r.addEventListener("change", maj); });
    maj();
  }

  // « Imprimer avec le détail du calcul » prints the calculations folded on screen; the
  // plain print (and the browser's own) leaves them out.
  window.addEventListener("beforeprint", function () {
    if (!document.body.classList.contains("imprimer-detail")) return;
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    document.body.classList.remove("imprimer-detail");
  });

  document.addEventListener("DOMContentLoaded", function () {
    initialiser(document);
    var resume = document.getElementById("resume-erreurs");
    if (resume) resume.focus();
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var cible = e.detail.target;
    if (!cible) return;
    if (cible.id === "contenu") {
      initialiser(cible);
      focaliser(cible);
      var annonce = cible.querySelector("[data-annonce]");
      annoncer(annonce ? annonce.getAttribute("data-annonce") : document.title);
    } else if (cible.id === "cout") {
      // The cost block alone was replaced: the page stays where it is, the new figures
      // are announced, the focus goes to the block's heading without scrolling.
      var cout = document.getElementById("cout");
      if (!cout) return;
      initialiser(cout);
      var titre = cout.querySelector("h2");
      if (titre) titre.focus({ preventScroll: true });
      // A shorter block may leave the view below it: bring its heading back, no further.
      var boite = cout.getBoundingClientRect();
      if (boite.bottom < 0 || boite.top > window.innerHeight) cout.scrollIntoView({ block: "start" });
      annoncer(cout.getAttribute("data-annonce"));
    } else if (cible.id === "options-contrat" || (cible.parentNode && cible.querySelector && cible.querySelector("[data-second-assistant]"))) {
      secondAssistant(document);
    }
  });
  // After an options refresh the fieldset is replaced (outerHTML): re-bind.
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.detail.target && e.detail.target.id === "options-contrat") secondAssistant(document);
  });
})();
