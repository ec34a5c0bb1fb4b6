"""The Linxia demo data set (演示数据)."""
