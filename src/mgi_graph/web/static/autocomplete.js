// Suggestions for inputs marked data-autocomplete="/search.json": as the user types a name, the
// matching entities fill the input's <datalist> (value: the entity's IRI, shown with its name and kind).
// Without this script the form still works: the server resolves names itself.
(function () {
  "use strict";

  function fill(list, groups) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    groups.forEach(function (group) {
      group.results.forEach(function (hit) {
        var option = document.createElement("option");
        option.value = hit.iri;
        option.label = hit.label + " (" + group.kind + ")";
        option.textContent = hit.label + " (" + group.kind + ")";
        list.appendChild(option);
      });
    });
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var endpoint = input.getAttribute("data-autocomplete");
    var timer = null;
    var latest = 0;
    if (!list || !endpoint) { return; }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      if (text.length < 2 || /^https?:\/\//.test(text)) { return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch(endpoint + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { groups: [] }; })
          .then(function (data) { if (ticket === latest) { fill(list, data.groups || []); } })
          .catch(function () { /* suggestions are a convenience; the form works without them */ });
      }, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete]"), attach);
  });
})();
