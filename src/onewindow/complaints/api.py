from ninja import Router

router = Router(tags=["投诉咨询"])
