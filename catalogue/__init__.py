"""Build the public catalogue of work-plan tasks (one or more plans) from content/ into site/."""
