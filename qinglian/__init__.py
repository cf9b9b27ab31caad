"""Qinglian (清廉): supervision of the small and micro power of village cadres."""
