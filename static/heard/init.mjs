// Progressive enhancement only: every page works without this.
// Relative, so it follows STATIC_URL wherever the files are served from.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
