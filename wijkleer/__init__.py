"""wijkleer: leerkringen voor beleid en uitvoering in het sociaal domein.

Heavy modules (pandas, altair, SQLAlchemy, ipywidgets) are imported where they are used, so that a
Voilà tab only pays for what its workbook shows.
"""

from wijkleer.errors import WijkleerError
from wijkleer.kernel import guard

__version__ = "0.1.0"
__all__ = ["WijkleerError", "__version__"]

guard()  # in a workbook's kernel: errors after the page has loaded go to the server's log, not to the browser
