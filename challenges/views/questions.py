"""Clarification questions: ask, follow, answer. (To be written.)"""


def questions_context(request, page) -> dict:
    return {}


def question_ask(request, page):
    raise NotImplementedError


def challenge_follow(request, page_id):
    raise NotImplementedError


def answer_list(request):
    raise NotImplementedError


def question_answer(request, pk):
    raise NotImplementedError
