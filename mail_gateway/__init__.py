"""mail_gateway"""
