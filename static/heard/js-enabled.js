// Before the page is drawn, so GOV.UK Frontend's JavaScript-only styles apply without a flash.
// A file rather than an inline script: the Content-Security-Policy allows no inline scripts.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
