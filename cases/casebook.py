"""My casebook (マイ事例集): the chosen case numbers and title, kept in the session."""

import re

from django.http import HttpRequest

LIMIT = 100
TITLE_MAX_LENGTH = 60
DEFAULT_TITLE = "マイ事例集"


def parse_numbers(value: str) -> list[int]:
    """「12,3,7」 → [12, 3, 7]: distinct, in order, at most LIMIT; anything else is ignored."""
    numbers = (int(part) for part in re.findall(r"\d{1,9}", value or ""))
    return list(dict.fromkeys(n for n in numbers if n > 0))[:LIMIT]


class Casebook:
    """The visitor's casebook. No login: it lives in the session."""

    KEY = "casebook"
    TITLE_KEY = "casebook_title"

    def __init__(self, session):
        self.session = session

    @property
    def numbers(self) -> list[int]:
        return list(self.session.get(self.KEY, []))

    @property
    def title(self) -> str:
        return self.session.get(self.TITLE_KEY) or DEFAULT_TITLE

    def __contains__(self, number: int) -> bool:
        return number in self.session.get(self.KEY, [])

    def __len__(self) -> int:
        return len(self.session.get(self.KEY, []))

    def _save(self, numbers: list[int]) -> None:
        self.session[self.KEY] = numbers

    def add(self, number: int) -> bool:
        """False when the book is full; adding a case already in it changes nothing."""
        numbers = self.numbers
        if number in numbers:
            return True
        if len(numbers) >= LIMIT:
            return False
        self._save([*numbers, number])
        return True

    def remove(self, number: int) -> None:
        self._save([n for n in self.numbers if n != number])

    def move(self, number: int, offset: int) -> None:
        numbers = self.numbers
        if number not in numbers:
            return
        i = numbers.index(number)
        j = max(0, min(len(numbers) - 1, i + offset))
        numbers.insert(j, numbers.pop(i))
        self._save(numbers)

    def replace(self, numbers: list[int], title: str = "") -> None:
        self._save(list(dict.fromkeys(numbers))[:LIMIT])
        self.set_title(title)

    def set_title(self, title: str) -> None:
        self.session[self.TITLE_KEY] = title.strip()[:TITLE_MAX_LENGTH]

    def clear(self) -> None:
        self._save([])


# Holes of shared pages (kernel.pagecache): the header counter, and each case's button with
# both states between markers (cases/templatetags/case_tags.py: casebook_button).
COUNT_HOLE = "<!--casebook-count-->"
_BUTTON = re.compile(r"<!--casebook (\d+)-->(.*?)<!--or-->(.*?)<!--end-->", re.DOTALL)


def fill(html: str, request: HttpRequest) -> str:
    """A shared page with the visitor's casebook: each button's state, and the counter."""
    numbers = set(Casebook(request.session).numbers)
    html = _BUTTON.sub(lambda m: m[3] if int(m[1]) in numbers else m[2], html)
    return html.replace(COUNT_HOLE, str(len(numbers)))
