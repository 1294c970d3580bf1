"""One thin router per resource; the work is in the domain packages and the service store."""
