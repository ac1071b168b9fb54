"""Build the public catalogue of the 2021 work-plan tasks from content/ into site/."""
