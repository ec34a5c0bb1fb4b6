// Behaviour the pages declare by data attributes, so no page needs an inline handler
// (the Content-Security-Policy allows no 'unsafe-inline').
//   data-print            a button that prints the page
//   data-get-on-change    a field whose change reloads its form by GET (the form's choices)
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field && field.hasAttribute && field.hasAttribute("data-get-on-change") && field.form) {
    field.form.method = "get";
    field.form.submit();
  }
});
