"""Views: ipywidgets built from library objects. Views call the store's verbs, never SQL."""
