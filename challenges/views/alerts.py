"""Alerts: subscribe, confirm, unsubscribe. (To be written.)"""


def alert_subscribe(request):
    raise NotImplementedError


def alert_confirm(request, token):
    raise NotImplementedError


def alert_unsubscribe(request, token):
    raise NotImplementedError
