"""Exercises for students with automatic feedback: the content lives in ``data/oefeningen/*.toml``
(``laden``), the checkers in ``controle``, saved attempts and the teacher overview in ``voortgang``."""

from wijkleer.oefeningen.controle import Feedback, controleer, juist
from wijkleer.oefeningen.laden import Oefening, Vraag, alle, oefening

__all__ = ["Feedback", "Oefening", "Vraag", "alle", "controleer", "juist", "oefening"]
