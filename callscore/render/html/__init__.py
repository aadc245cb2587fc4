"""The self-contained per-call HTML report: labels, style and content-security policy, the timeline SVG."""
