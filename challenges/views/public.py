"""The public listing, challenge page, round page, feed and calendar. (To be written.)"""


def challenge_listing(request, index_page):
    raise NotImplementedError


def challenge_detail(request, page):
    raise NotImplementedError


def challenge_calendar(request, page):
    raise NotImplementedError


def open_challenges_feed(request, index_page):
    raise NotImplementedError


def round_detail(request, index_page, slug):
    raise NotImplementedError
