"""wijkleer: leerkringen voor beleid en uitvoering in het sociaal domein.

Heavy modules (pandas, altair, SQLAlchemy, ipywidgets) are imported where they are used, so that a
Voilà tab only pays for what its workbook shows.
"""

from wijkleer.errors import WijkleerError

__version__ = "0.1.0"
__all__ = ["WijkleerError", "__version__"]
