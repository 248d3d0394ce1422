// The dev server's reload client (`tradeoffs dev` only; never in a built site):
// listens to the server's event stream and reloads the page after each
// rebuild, good or bad (a bad one serves the error page, the next good one
// the report again).
const events = new EventSource('/__tradeoffs/events');
events.addEventListener('reload', () => window.location.reload());
